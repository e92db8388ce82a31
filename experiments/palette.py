"""The colours the report and the dashboard share: a package keeps its colour, a depth its
shade, wherever it is drawn.
"""

# Okabe-Ito, the low-contrast yellow last; a package keeps its colour in every figure
PALETTE = ["#000000", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#0072B2", "#F0E442"]
# Colour-blind-safe sequential colours for depths 0-4 (cividis samples), light = not engaged.
DEPTH_COLOURS = ("#e8e8e8", "#fde737", "#7fc97f", "#31688e", "#1b2f5b")
