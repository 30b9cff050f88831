"""The one state machine of every workflow (cases, exchange batches, tracing requests).

It sits low: it imports `lib` and the access policy, and no app; each app hands it its table
and its transition model.
"""
