"""``python -m photonics`` runs the command line."""

import sys

from photonics.cli import main

sys.exit(main())
