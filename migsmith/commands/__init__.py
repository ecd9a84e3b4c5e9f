"""One module per CLI command; each exposes ``SUMMARY``, ``build_parser()`` and ``main(argv)``
(migsmith/cli.py dispatches to it). The commands hold no planning logic."""
