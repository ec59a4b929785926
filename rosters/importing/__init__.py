"""Reading and checking uploaded workbooks: columns, cells, per-row problems, and the rules checks."""
