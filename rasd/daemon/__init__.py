"""The daemon behind `rasd run`: scheduled crawls, the daily digest and housekeeping."""
