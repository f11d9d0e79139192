"""What every front end needs, below the command line, the app and the bridge.

Addressing a chair and opening its links (:mod:`.chairs`), finding one in range
(:mod:`.discovery`), the person in the chair (:mod:`.people`, :mod:`.questionnaire`), the
session controller (:mod:`.session`: one chair, at most one session, a stop that always
works), the faults a chair latched (:mod:`.faults`), how a process ends and what the chair
is left doing (:mod:`.endings`), output that never holds a session back (:mod:`.output`),
data made safe for a terminal (:mod:`.safetext`) and the timeline (:mod:`.timeline`).

The front ends import this package and never each other (an import-linter contract).
"""
