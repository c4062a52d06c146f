"""The parts of the application API (:class:`digest.edition.Digest`), one module
per concern: ingest, send, runs, the reader's side; and the reports they return."""
