"""The qualitative case coding: codebook, coded segments, matrices, consensus, reliability, REFI-QDA."""
