"""What the data app tells the apps built on it."""

from django.dispatch import Signal

# Sent after a commit that changed which rows are current for a district (an import stored,
# a snapshot rolled back), with ``district``. Figures derived from the data are recomputed.
data_changed = Signal()
