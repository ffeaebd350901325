"""Signing up and in from the tests."""

import httpx

PASSWORD = "correct horse battery staple"


async def sign_in(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD
) -> httpx.Response:
    return await client.post("/api/auth/token", data={"username": email, "password": password})


async def sign_up(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    """Register `email` (password PASSWORD) and sign in: the headers that send its token."""
    response = await client.post("/api/auth/register", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    response = await sign_in(client, email)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
