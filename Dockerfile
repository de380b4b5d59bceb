# The production image: the same commands as the Procfile and deploy/systemd/ (README, "Deploying").
#   docker compose up --build        (docker-compose.yml: web, tasks, postgres, redis)
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    BIND_ADDRESS=0.0.0.0 \
    PORT=8000 \
    MEDIA_ROOT=/srv/praha/media

RUN useradd --system --home-dir /srv/praha --shell /usr/sbin/nologin praha
WORKDIR /srv/praha

# Dependencies first (pinned in pyproject.toml), so a code change reuses this layer.
COPY pyproject.toml ./
RUN pip install --no-cache-dir .

COPY . .
# Build-time steps that need no database: the UI catalogues and the static files (compressed,
# with hashed names). Production settings insist on a key and hosts; these exist only here.
RUN export SECRET_KEY=build-only ALLOWED_HOSTS=build.invalid \
    && python manage.py compile_catalogues -v 0 \
    && python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /srv/praha/media && chown praha:praha /srv/praha/media

USER praha
EXPOSE 8000
VOLUME ["/srv/praha/media"]
CMD ["gunicorn", "cms.wsgi", "--config", "deploy/gunicorn.conf.py"]
