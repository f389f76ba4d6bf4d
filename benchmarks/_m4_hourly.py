"""What the M4 Hourly benchmark scripts share: where the data lies and the official scores."""

import os

#: /work/shared/data/m4 beside the project (benchmarks may read it; the product may not)
DEFAULT_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "m4")

#: official M4 results (sMAPE, MASE, OWA), Hourly, from the data folder's README
OFFICIAL = {
    "Naive2": (18.383, 2.395, 1.000),
    "Theta": (18.138, 2.455, 1.006),
    "RNN benchmark": (14.698, 3.048, 1.036),
    "MLP benchmark": (13.842, 2.607, 0.921),
    "Winner (Smyl, ES-RNN)": (9.328, 0.893, 0.440),
}
