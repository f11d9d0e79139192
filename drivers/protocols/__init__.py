"""Protocol codecs: pure translators between chair actions or status and wire bytes.

A codec does no I/O and keeps no connection state; links move the bytes and adapters decide
what to send. One subpackage per protocol family.
"""
