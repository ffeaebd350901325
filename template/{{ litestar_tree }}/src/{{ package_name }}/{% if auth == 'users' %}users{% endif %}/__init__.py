"""Users: sign-up, sign-in (OAuth2 password tokens) and who the token's user is."""
