-- Pages show accounts' icons and posts' images through the media cache, which learns of
-- them when they are saved; these were saved before it did.
INSERT INTO media (remote_url, state, size_bytes, created_at, last_access)
SELECT url, 'pending', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM (
    SELECT icon_url AS url FROM actors WHERE local AND icon_url IS NOT NULL
    UNION SELECT image_url FROM posts WHERE image_url IS NOT NULL
) WHERE url LIKE 'http%'
ON CONFLICT (remote_url) DO NOTHING;
