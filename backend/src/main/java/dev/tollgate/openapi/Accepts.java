// Why: admin routes read their body as JSON whatever its Content-Type says; these annotations document each
// body's schema under application/json (and */*, replacing the raw bytes the generator would otherwise show)
// in one line on the controller method.
package dev.tollgate.openapi;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

public final class Accepts {
    static final String PRICES = "Each member: a model name mapped to a Price {input_per_mtok, output_per_mtok, per_request} or null";

    private Accepts() {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @RequestBody(required = true, content = {
            @Content(mediaType = "application/json", schema = @Schema(implementation = Bodies.Tenant.class)),
            @Content(mediaType = "*/*", schema = @Schema(implementation = Bodies.Tenant.class))})
    public @interface Tenant {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @RequestBody(required = true, content = {
            @Content(mediaType = "application/json", schema = @Schema(implementation = Bodies.Key.class)),
            @Content(mediaType = "*/*", schema = @Schema(implementation = Bodies.Key.class))})
    public @interface Key {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @RequestBody(required = true, content = {
            @Content(mediaType = "application/json", schema = @Schema(implementation = Bodies.Login.class)),
            @Content(mediaType = "*/*", schema = @Schema(implementation = Bodies.Login.class))})
    public @interface Login {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @RequestBody(required = true, content = {
            @Content(mediaType = "application/json", schema = @Schema(implementation = Bodies.Rotate.class)),
            @Content(mediaType = "*/*", schema = @Schema(implementation = Bodies.Rotate.class))})
    public @interface Rotate {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @RequestBody(required = true, content = {
            @Content(mediaType = "application/json", schema = @Schema(implementation = Bodies.User.class)),
            @Content(mediaType = "*/*", schema = @Schema(implementation = Bodies.User.class))})
    public @interface User {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @RequestBody(required = true, content = {
            @Content(mediaType = "application/json", schema = @Schema(implementation = Bodies.Password.class)),
            @Content(mediaType = "*/*", schema = @Schema(implementation = Bodies.Password.class))})
    public @interface Password {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @RequestBody(required = true, content = {
            @Content(mediaType = "application/json", schema = @Schema(implementation = Bodies.Upstream.class)),
            @Content(mediaType = "*/*", schema = @Schema(implementation = Bodies.Upstream.class))})
    public @interface Upstream {
    }

    /** A map from model name to a price; a {@code null} value removes that model's price. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @RequestBody(required = true, description = "Model name to its price in USD (members default to 0); null removes the price",
            content = {
                @Content(mediaType = "application/json", schema = @Schema(type = "object", description = PRICES))})
    public @interface Pricing {
    }
}
