//! The store: put/get round trips, labels, pruning, limits, deletion.
