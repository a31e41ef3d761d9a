"""Work that runs outside a request, and the state others poll: infrastructure, not use cases.

`runner` starts the work (a thread of the web process today; a queue's worker later), `state` keeps each job's
progress where every worker process sees it (JSON files in the instance folder today; a table later), and
`report_jobs` is the one kind of job there is: all reports of a selection as one ZIP. What a job *does* is a
service (`services.reports.write_reports`); these modules only run it and remember how far it got.
"""
