"""Helpers shared by the tests: factories, page reading, payloads, worlds. Test modules import from here, never from each other."""
