"""The solution exchange: needs that stakeholders post, the matching engine that proposes who and
what can help and why, offers and introductions between the two sides."""
