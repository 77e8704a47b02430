"""``st2common.constants.keyvalue``: datastore scopes and separators, as in StackStorm."""

ALL_SCOPE = "all"
DATASTORE_PARENT_SCOPE = "st2kv"
# Between the datastore namespace and a scope: st2kv.system.
DATASTORE_SCOPE_SEPARATOR = "."

SYSTEM_SCOPE = "system"
FULL_SYSTEM_SCOPE = DATASTORE_PARENT_SCOPE + DATASTORE_SCOPE_SEPARATOR + SYSTEM_SCOPE
SYSTEM_SCOPES = [SYSTEM_SCOPE]

USER_SCOPE = "user"
FULL_USER_SCOPE = DATASTORE_PARENT_SCOPE + DATASTORE_SCOPE_SEPARATOR + USER_SCOPE
USER_SCOPES = [USER_SCOPE]

USER_SEPARATOR = ":"
# Between the parts of a local key: <pack>.<class>:<name>.
DATASTORE_KEY_SEPARATOR = ":"

ALLOWED_SCOPES = [SYSTEM_SCOPE, USER_SCOPE, FULL_SYSTEM_SCOPE, FULL_USER_SCOPE]
