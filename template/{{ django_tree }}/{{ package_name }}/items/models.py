from django.db import models

NAME_MAX_LENGTH = 100
DESCRIPTION_MAX_LENGTH = 2000


class Item(models.Model):
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    # Null, not "", when there is none: the API tells "no description" from an empty one.
    description = models.TextField(max_length=DESCRIPTION_MAX_LENGTH, blank=True, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name
