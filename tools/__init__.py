"""Project tools outside the book: the environment file generator and the third-party QDA readers."""
