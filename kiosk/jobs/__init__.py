"""Jobs: the catalogue store, demo-data generator, search, matching and resident submissions.

Modules by what they hold: vocab (codes and labels), towns (the Xiqing map), text (search
tokens), catalogue (writing), search (reading), matching (recommendations), submissions
(报名 / 求职登记 / 呼叫), generator + generator_data (demo data), demo, fileformat, errors.
"""
