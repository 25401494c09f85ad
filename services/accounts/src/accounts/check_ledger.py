"""`python -m accounts.check_ledger`: checks that every stored balance equals the sum of its
movements; prints the accounts that break it and exits 1 if any."""

import asyncio
import sys

from accounts.bootstrap import check_the_ledger
from accounts.config import AccountsSettings

sys.exit(asyncio.run(check_the_ledger(AccountsSettings())))
