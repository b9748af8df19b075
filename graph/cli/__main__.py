"""`python -m graph.cli`: the same as the `integrity` console script."""

import sys

from graph.cli import main

sys.exit(main())
