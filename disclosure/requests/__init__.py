"""依申请公开 (条例 第二十九–三十六条): the public form, the office's handling with statutory
working-day deadlines, the answer letter, and the figures of the annual report's table 三."""
