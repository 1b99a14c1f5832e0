"""Job postings recruiters match candidates against."""
