"""``st2common.runners``: what Python actions import from StackStorm's runners."""
