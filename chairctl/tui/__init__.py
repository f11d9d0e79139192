"""The Textual app: choose, personalise, run and watch a massage, and stop it at once.

``chairctl`` with no arguments on a terminal opens it (:mod:`chairctl.tui.launch`). The app is
the only place Textual is imported; what it does to the chair goes through
:class:`chairctl.services.session.ChairControl`, which holds no Textual.
"""
