import shutil
import tempfile
from pathlib import Path

import pytest


@pytest.fixture
def fault_dir():
    """A temporary folder of the test's own: logs and files of the processes it starts. Not
    pytest's tmp_path, whose older runs other test sessions on the machine may delete meanwhile."""
    folder = Path(tempfile.mkdtemp(prefix="jusur-fault-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
