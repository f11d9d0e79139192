"""The health questionnaire every front end asks before a profile is saved.

The questions are asked one by one (``chairctl profiles add``, the app's profile form); what
the answers mean is :mod:`chairctl.safety.screening`'s. They are worded for the person, not
for a clinician (docs/safety.md, "Health screening").
"""

from __future__ import annotations

from typing import Final

from chairctl.vocabulary import Condition

_C = Condition

#: The health questions, grouped by theme and worded for the person, not for a clinician: each
#: names its condition in everyday words, with examples and, where it matters, a time frame.
#: Every :class:`Condition` appears exactly once (the tests hold us to it).
QUESTIONS: Final[tuple[tuple[str, tuple[tuple[Condition, str], ...]], ...]] = (
    (
        "Bones and spine",
        (
            (
                _C.VERTEBRAL_FRACTURE,
                "Have you ever broken a bone in your spine (a vertebral or compression "
                "fracture), even years ago?",
            ),
            (_C.RECENT_FRACTURE, "Have you broken any other bone that may not have healed yet?"),
            (_C.OSTEOPOROSIS, "Do you have osteoporosis (thin, fragile bones)?"),
            (
                _C.HERNIATED_DISC,
                "Do you have a herniated, slipped or bulging disc, or sciatica (pain, numbness or "
                "tingling running from your back down a leg)?",
            ),
            (
                _C.SPINAL_SURGERY,
                "Have you ever had an operation on your spine, even years ago (for example a "
                "fusion, rods or screws, or a disc replacement)?",
            ),
            (
                _C.SPINAL_ABNORMALITY,
                "Is your spine curved or otherwise unusual (for example scoliosis)?",
            ),
            (
                _C.ANKYLOSING_SPONDYLITIS,
                "Do you have ankylosing spondylitis (an arthritis that stiffens the spine)?",
            ),
            (_C.SPINAL_OSTEOARTHRITIS, "Do you have osteoarthritis (wear and tear) of the spine?"),
            (
                _C.NECK_PROBLEMS_OR_DIZZINESS,
                "Do you have neck problems (an injury such as whiplash, or arthritis of the "
                "neck), or do you get dizzy or have vertigo?",
            ),
        ),
    ),
    (
        "Cancer",
        (
            (_C.SPINAL_TUMOUR, "Do you have a tumour in your spine?"),
            (_C.MALIGNANCY_AT_SITE, "Do you have a tumour in your back, neck or shoulders?"),
            (
                _C.CANCER_SPREAD_TO_BONE,
                "Has a cancer spread to your bones (bone metastases), or has a doctor said it "
                "might have?",
            ),
            (
                _C.MALIGNANCY_ELSEWHERE,
                "Do you have cancer anywhere else, or are you being treated for it (if it has "
                "spread to your bones or spine, answer yes to the questions above too)?",
            ),
        ),
    ),
    (
        "Heart, blood and veins",
        (
            (
                _C.DEEP_VEIN_THROMBOSIS,
                "Do you have a blood clot in a leg vein (deep vein thrombosis), or have you had "
                "one in the last 6 months?",
            ),
            (
                _C.THROMBOSIS_OR_EMBOLISM,
                "Have you had any other blood clot, or a clot that travelled, for example to the "
                "lungs (embolism)?",
            ),
            (_C.ANEURYSM, "Do you have an aneurysm (a weakened, widened artery)?"),
            (_C.PHLEBITIS, "Do you have an inflamed vein (phlebitis)?"),
            (
                _C.VARICOSE_VEINS,
                "Do you have varicose veins that are painful, swollen or inflamed, or poor "
                "circulation in your legs, hips or buttocks?",
            ),
            (_C.HEART_DISEASE, "Do you have a heart condition?"),
            (_C.PACEMAKER_OR_IMPLANT, "Do you have a pacemaker or another implanted device?"),
            (
                _C.UNCONTROLLED_HYPERTENSION,
                "Do you have high blood pressure that is not under control?",
            ),
            (
                _C.ANTICOAGULANTS,
                "Do you take a blood thinner, such as warfarin, apixaban, rivaroxaban or heparin, "
                "or aspirin or clopidogrel every day?",
            ),
            (_C.BLEEDING_DISORDER, "Do you have a bleeding disorder (such as haemophilia)?"),
        ),
    ),
    (
        "Right now",
        (
            (
                _C.CLOT_SYMPTOMS_NOW,
                "Is one of your calves or legs swollen, painful, warm or red right now?",
            ),
            (_C.FEVER, "Do you have a fever (38 °C or more)?"),
            (_C.ACUTE_STRAIN, "Do you have a new or swollen strain or sprain?"),
            (
                _C.SKIN_INFECTION_AT_SITE,
                "Do you have infected or inflamed skin where the chair would touch you?",
            ),
            (
                _C.WOUND_SCAR_OR_IRRADIATED_SKIN,
                "Where the chair would touch you, do you have an open wound, a scar that is "
                "still healing, or skin treated with radiotherapy?",
            ),
            # 3 months is our choice: the sources say "recent" only; spinal surgery at any
            # time is its own question above.
            (
                _C.RECENT_SURGERY,
                "Have you had an operation of any kind in the last 3 months, or are you still "
                "recovering from one?",
            ),
            (_C.PREGNANCY, "Are you pregnant, or did you give birth recently?"),
        ),
    ),
    (
        "Nerves, feeling and help",
        (
            (_C.FIBROMYALGIA, "Do you have fibromyalgia?"),
            (_C.DIABETES, "Do you have diabetes?"),
            (
                _C.NEUROPATHY,
                "Do you have nerve damage (neuropathy), such as numb or tingling hands or feet?",
            ),
            (_C.LOSS_OF_TEMPERATURE_SENSATION, "Do you find it hard to feel heat on your skin?"),
            (
                _C.CANNOT_OPERATE_ALONE,
                "Could you find it hard, at any moment, to press stop on the remote yourself or "
                "to tell someone that it hurts (for example with weak or stiff hands, poor "
                "eyesight or confusion)?",
            ),
            (
                _C.NEEDS_SUPERVISION,
                "Do you need someone with you when you use the chair (for example to help you "
                "in and out, or because you were told not to use it alone)?",
            ),
        ),
    ),
)
