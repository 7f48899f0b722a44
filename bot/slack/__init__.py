"""Citebot in Slack: slash commands, mentions and DMs answered in Block Kit.

`app.create_app(settings, store)` builds the Bolt app; `serve.serve(args)` runs it in
Socket Mode or behind an HTTP server. Nothing outside this package knows Slack.
"""
