"""``st2common.constants.runners``: runner defaults, as in StackStorm."""

LOCAL_RUNNER_DEFAULT_ACTION_TIMEOUT = 60
PYTHON_RUNNER_DEFAULT_ACTION_TIMEOUT = 10 * 60
# The exit code of a python action whose run() returned a 2-tuple whose first item is not a bool.
PYTHON_RUNNER_INVALID_ACTION_STATUS_EXIT_CODE = 220
PYTHON_RUNNER_DEFAULT_LOG_LEVEL = "DEBUG"
# Environment variables StackStorm gives every action start with this.
COMMON_ACTION_ENV_VARIABLE_PREFIX = "ST2_ACTION_"
