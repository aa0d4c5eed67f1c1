"""Text-to-speech engines behind one small interface, voice profiles, and the segment cache."""
