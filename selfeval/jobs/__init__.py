"""Work that runs outside a request, and the state others poll: infrastructure, not use cases.

`report_jobs` is the one kind of job there is (all reports of a selection as one ZIP) with its rules; `state` keeps
each job and its parts in the database, where every app server and worker sees them; `parts` does the work in steps
any worker can take (render a part, assemble the ZIP) with the files in shared storage (selfeval/storage.py);
`runner` hands the steps to a thread of the web process or, with a broker, to Celery workers (`celery_app`, `tasks`).
What a job *renders* is a service (`services.reports.write_reports`).
"""
