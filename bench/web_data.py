"""bench/web.py's data, on top of `manage.py load_demo`; prints the plan as JSON.

    .venv/bin/python bench/web_data.py seal              # the seal MINUTES_SEAL_FILE names
    .venv/bin/python bench/web_data.py prepare SIGNINGS  # prints the plan as JSON
    .venv/bin/python bench/web_data.py status PK...      # each meeting's status, as JSON

Runs in the database DATABASE_URL names (bench/web.py makes a fresh one), with
the settings bench/web.py gives it (debug off, a non-demo seal), after
`load_demo` (without --signed). Adds:

- the 2nd demo meeting, signed by both signers, as `load_demo --signed` makes
  it (its sealing may be queued as a task: bench/web.py works the queue);
- the demo meeting again as a draft with its remarks repeated 10x (the
  minutes page at 10x, and the admin change page at ~580 speaker blocks);
- SIGNINGS meetings sent for review, confirmed and signed by the first
  signer: the second signer's POST then completes each (and seals it).
"""

import base64
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutes_site.settings")

import django  # noqa: E402

django.setup()

from copies import demo_meeting, signed_by, signers  # noqa: E402  (bench/copies.py)
from django.conf import settings  # noqa: E402

from agenda.management.commands.load_demo import DEMO_PASSWORD, demo_signature  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from meetings.sealing import create_self_signed_seal  # noqa: E402

TIMES = 10
SIGNED_SEQUENCE = 2
LONG_SEQUENCE = 110
FIRST_SIGNING_SEQUENCE = 201


def half_signed(sequence):
    """A meeting confirmed and signed by its first signer: the second completes it."""
    meeting = demo_meeting(sequence)
    signed_by(meeting, 1)
    return {"meeting": meeting.pk, "signer": signers(meeting)[1].username}


def prepare(signings):
    draft = Meeting.objects.get(sequence=1)
    long_draft = demo_meeting(LONG_SEQUENCE, remarks=TIMES)
    # As `load_demo --signed` does, here so that a sealing task is worked by web.py.
    complete = demo_meeting(SIGNED_SEQUENCE, weeks_later=4)
    signed_by(complete, 2)
    return {
        "password": DEMO_PASSWORD,
        "draft": draft.pk,
        "draft_blocks": draft.speaker_blocks.count(),
        "long_draft": long_draft.pk,
        "long_draft_blocks": long_draft.speaker_blocks.count(),
        "times": TIMES,
        "signed": complete.pk,
        "signings": [half_signed(FIRST_SIGNING_SEQUENCE + n) for n in range(signings)],
        "drawn": "data:image/png;base64," + base64.b64encode(demo_signature(2)).decode(),
    }


def seal():
    """A self-signed organisation seal (not the demo one, which debug-off refuses)."""
    create_self_signed_seal(
        settings.SEAL_CERTIFICATE_FILE,
        settings.SEAL_PASSWORD_FILE,
        organisation="벤치마크 위원회",
        unit="bench",
        common_name="벤치마크 전자직인",
    )


def signed_status(pks):
    """Which of the meetings are signed now (sealing may end after the request)."""
    return dict(Meeting.objects.filter(pk__in=pks).values_list("pk", "status"))


if __name__ == "__main__":
    if sys.argv[1:] == ["seal"]:
        seal()
    elif sys.argv[1:2] == ["prepare"] and len(sys.argv) == 3:
        print(json.dumps(prepare(int(sys.argv[2]))))
    elif sys.argv[1:2] == ["status"]:
        print(json.dumps(signed_status([int(pk) for pk in sys.argv[2:]])))
    else:
        sys.exit(__doc__)
