"""Speed and memory figures (`make bench`) and retrieval quality (`make eval`); printed, never asserted."""
