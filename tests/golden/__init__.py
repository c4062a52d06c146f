"""Golden files for the renderer: a fixed edition and its expected renditions.

``edition.py`` builds the edition (12 realistic stories, some hostile); each
language folder (``en/``, ``hi/``) holds the expected ``email.html``,
``email.txt``, ``push.json``, ``push.txt`` and ``whatsapp.txt``.  Regenerate them
after an intended change with ``python -m tests.golden.update`` and review the diff.
"""
