import sys

from attune import Action


class BigOutput(Action):
    def run(self, kib=1024):
        # The secret arrives in the action's stdin document; only its length is reported.
        token = self.secrets["token"]
        line = ("x" * 1023) + "\n"
        for _ in range(kib):
            sys.stdout.write(line)
        sys.stdout.flush()
        return {"token_length": len(token)}
