"""selfeval: self-evaluation of digital school development in North Rhine-Westphalia.

Importing this package loads nothing else, so `selfeval.catalog` and `selfeval.scoring`
stay free of Flask; the factory lives in `selfeval.app`.
"""


def create_app(config=None):
    """The application factory (see selfeval.app), for `flask --app selfeval` and WSGI servers."""
    from .app import create_app as factory

    return factory(config)
