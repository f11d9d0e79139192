"""The adapter for Korean wired-remote chairs (``korean-ascii``), driven on their remote's line.

:class:`KoreanAdapter` maps Setpoints onto the chair's manual mode in its full area, its
technique, speed and width, its air mode and strength, heat, foot roller and zero gravity
(:mod:`.targets`), reconciles them with the status one confirmed button at a time
(:mod:`.reconciler`), and switches the chair off for the safe release (:mod:`.release`). Every
button is its press code then its release code, and the release is owed from before the press
goes out.

What the chair's status cannot show, the adapter cannot confirm, and says so:

- where the rollers work: the manual mode's full area sweeps from the seat line to the
  shoulder line the chair's own scan finds (sacrum to shoulders), whatever region is asked;
  the point and local areas, the position buttons and the auto programs are never used;
- the intensity: the chair has one roller strength (no 3D);
- the air mode: the status shows the air on and its strength, not which zones a mode works;
  the mode is counted from the adapter's presses since a power-on of its own, each answered by
  the chair's beep, and it passes other modes only within the body scan;
- the posture: the zero-gravity key is a toggle; the status shows the actuators moving, not
  where they end, so what it left is believed;
- a pause (never pressed), and a fault: the chair protects itself by powering off, which its
  display shows as it shows any power-off; while a setpoint has it working, that reads as a
  fault (:mod:`.watch`).
"""

from drivers.adapters.korean.adapter import KoreanAdapter
from drivers.adapters.korean.decoding import KoreanStatusDecoder
from drivers.adapters.korean.reconciler import Press, Reconciler, Restart
from drivers.adapters.korean.release import Releaser
from drivers.adapters.korean.targets import FULL_BAND, TargetMapper, Targets
from drivers.adapters.korean.view import View, is_safe, view_of
from drivers.adapters.korean.watch import OffWatch
from drivers.adapters.posture import PostureGoal

__all__ = [
    "FULL_BAND",
    "KoreanAdapter",
    "KoreanStatusDecoder",
    "OffWatch",
    "PostureGoal",
    "Press",
    "Reconciler",
    "Releaser",
    "Restart",
    "TargetMapper",
    "Targets",
    "View",
    "is_safe",
    "view_of",
]
