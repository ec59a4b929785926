"""The review step's documents: the party group's meeting packet (上会材料) and the approval notice
(立项通知书). Each is one plain-data builder rendered twice, to PDF and to .docx, so the two cannot drift.
"""
