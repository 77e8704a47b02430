"""``st2common.constants``: StackStorm's constant values that actions read."""
