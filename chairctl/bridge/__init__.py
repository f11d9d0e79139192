"""``chairctl bridge``: one chair on the home network, over MQTT.

The bridge is a front end beside the command line and the app: it owns one chair through
:class:`~chairctl.services.session.ChairControl`, publishes its state, the library and the
profiles' names, and takes commands (a start only for a profile that allows it; a stop always).
It imports the services and below, never the other front ends; the command line reaches it
through the ``bridge`` entry point of the ``chairctl.front_ends`` group.
"""
