"""The ``new`` command's wizard: fields read from the model, answers checked as typed, drafts.

Split by concern: :mod:`.fields` (what is asked, from the model), :mod:`.entry`
(the entry as the file will show it), :mod:`.answers` (one answer checked against
the model and the loaded content), :mod:`.drafts` (typed work kept on disk) and
:mod:`.session` (the terminal conversation).
"""
