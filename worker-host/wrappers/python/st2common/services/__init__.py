"""``st2common.services``: the services an action reaches through ``self.action_service``."""
