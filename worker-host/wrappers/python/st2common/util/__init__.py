"""``st2common.util``: the helpers StackStorm packs import (isotime, date, shell, jsonify)."""
