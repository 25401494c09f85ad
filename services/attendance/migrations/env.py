from attendance.adapters.tables import metadata
from shared.migrations import run_env

run_env("attendance", metadata)
