"""The locks (`make lock`) are generated from requirements*.txt: a pin added or changed there
without running `make lock` would not be installed by `make install`, which installs the lock."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;#\\]+)", re.MULTILINE)


def _pins(path: Path) -> dict[str, str]:
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in PIN.findall(path.read_text())}


@pytest.mark.parametrize(
    ("requirements", "lock"),
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_every_pin_is_in_the_lock_at_the_same_version(requirements, lock):
    wanted = _pins(ROOT / requirements)
    if requirements == "requirements-dev.txt":
        wanted |= _pins(ROOT / "requirements.txt")  # included with -r
    locked = _pins(ROOT / lock)

    stale = {name: (version, locked.get(name)) for name, version in wanted.items() if locked.get(name) != version}

    assert stale == {}, f"run `make lock`: {stale}"


def test_every_locked_package_carries_its_hashes():
    text = (ROOT / "requirements-dev.lock").read_text()
    packages = [entry for entry in re.split(r"\n(?=[A-Za-z0-9])", text) if PIN.match(entry)]

    assert len(packages) == len(_pins(ROOT / "requirements-dev.lock"))
    assert all("--hash=sha256:" in entry for entry in packages)
