"""How every Seams command fails: one readable line on stderr, never a traceback.

Exit 2 for what the user can fix (a workspace that cannot be built, a bad argument), 1 for anything
unexpected; SEAMS_DEBUG=1 shows the traceback of the unexpected.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from pipelines.config import WorkspaceError


def guarded(action: str, body: Callable[[], int], user_errors: tuple[type[Exception], ...] = ()) -> int:
    """Run a command's body; `user_errors` are the command's own fixable errors (their text is the message)."""
    try:
        return body()
    except WorkspaceError as exc:
        print(f"seams: cannot build: {exc}", file=sys.stderr)
        return 2
    except user_errors as exc:
        print(f"seams: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a user sees one readable line, never a traceback
        if os.environ.get("SEAMS_DEBUG"):
            raise
        print(
            f"seams: {action} failed unexpectedly: {type(exc).__name__}: {exc} (set SEAMS_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 1
