from attune import Action


class Greet(Action):
    """examples.greet: returns `count` greetings for `name`."""

    def run(self, name, count=1):
        if count < 0:
            return (False, {"error": "count must not be negative"})
        greetings = ["Hello, %s!" % name for _ in range(count)]
        print("greeting %s %d time(s)" % (name, count))
        return {"name": name, "count": count, "greetings": greetings}
