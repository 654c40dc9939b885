"""Helpers that experiments measure with (timing, memory, checks). Every file here is part of every
experiment's hash: a change here can change any measurement, so it marks every result stale."""
