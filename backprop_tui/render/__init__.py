"""Text renderers shared by the app's widgets and the exports: steps, tables, matrices, graphs, curves.

Rich text only, never textual: each function takes numbers already computed
(a walkthrough and a cursor, a lesson's result) and a width, and returns Text.
"""
