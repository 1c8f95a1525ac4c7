package dev.switchboard.runtime;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The knowledge API over real HTTP against the packaged app. The app's data folder survives between
 * runs (target/it-data), so every test first deletes the collections it is about to create.
 */
@QuarkusIntegrationTest
class KnowledgeApiIT {

    private static final String ACME = "it-acme";
    private static final String BETA = "it-beta";

    private static RequestSpecification as(String tenant) {
        return given().header("X-Tenant-Id", tenant);
    }

    private static void recreate(String tenant, String name) {
        as(tenant).when().delete("/v1/collections/" + name);
        as(tenant).contentType(ContentType.JSON).body(Map.of("name", name)).when().post("/v1/collections").then().statusCode(201);
    }

    private static ValidatableResponse search(String tenant, String name, Object body) {
        return as(tenant).contentType(ContentType.JSON).body(body).when().post("/v1/collections/" + name + "/search").then();
    }

    private static List<String> documentIds(ValidatableResponse response) {
        return response.statusCode(200).extract().jsonPath().<String>getList("hits.document_id").stream().distinct().toList();
    }

    private static ValidatableResponse error(ValidatableResponse r, int status, String code) {
        return r.statusCode(status)
                .contentType(ContentType.JSON)
                .body("error.type", not(nullValue()))
                .body("error.code", equalTo(code))
                .body("error.message", not(nullValue()));
    }

    @Test
    void createsListsAndDeletesCollections() {
        as(ACME).when().delete("/v1/collections/it-lifecycle");
        as(ACME).contentType(ContentType.JSON).body(Map.of("name", "it-lifecycle", "description", "Lifecycle test"))
                .when().post("/v1/collections").then()
                .statusCode(201)
                .contentType(ContentType.JSON)
                .body("name", equalTo("it-lifecycle"))
                .body("tenant", equalTo(ACME))
                .body("description", equalTo("Lifecycle test"))
                .body("encoder", equalTo("bge-small-en-v1.5-q"))
                .body("document_count", equalTo(0))
                .body("chunk_count", equalTo(0))
                .body("created_at", not(nullValue()))
                .body("read_only", equalTo(false));

        error(as(ACME).contentType(ContentType.JSON).body(Map.of("name", "it-lifecycle")).when().post("/v1/collections").then(),
                409, "collection_exists").body("error.message", equalTo("collection 'it-lifecycle' already exists"));
        error(as(ACME).contentType(ContentType.JSON).body(Map.of("name", "Bad Name")).when().post("/v1/collections").then(),
                400, "invalid_collection_name").body("error.param", equalTo("name"));
        as(ACME).when().get("/v1/collections").then().statusCode(200).body("collections.name", hasItem("it-lifecycle"));
        as(ACME).when().get("/v1/collections/it-lifecycle").then().statusCode(200).body("description", equalTo("Lifecycle test"));

        as(ACME).when().delete("/v1/collections/it-lifecycle").then()
                .statusCode(200).body("id", equalTo("it-lifecycle")).body("deleted", equalTo(true));
        error(as(ACME).when().get("/v1/collections/it-lifecycle").then(), 404, "collection_not_found");
        error(as(ACME).contentType(ContentType.JSON).body(Map.of("query", "x")).when().post("/v1/collections/it-lifecycle/search").then(),
                404, "collection_not_found");
    }

    @Test
    void jsonAndMultipartUploadsAreSearchableAtOnce() throws IOException {
        recreate(ACME, "it-manuals");
        as(ACME).contentType(ContentType.JSON).body("""
                {"documents": [
                  {"id": "remote-pairing", "title": "Pairing the remote", "text": "Hold Back and Play for three seconds to pair the remote with the TV.",
                   "source": "tv-manual", "tags": ["tv"], "metadata": {"product": "QLED"}, "updated_at": "2024-03-01"},
                  {"id": "washer-door", "title": "Washer door", "text": "If the washer door does not open, wait two minutes after the cycle ends.",
                   "source": "washer-manual", "tags": ["washer"], "metadata": {"product": "WW90"}, "updated_at": "2025-01-10"}
                ]}""").when().post("/v1/collections/it-manuals/documents").then()
                .statusCode(201)
                .body("collection", equalTo("it-manuals"))
                .body("documents.id", equalTo(List.of("remote-pairing", "washer-door")))
                .body("documents.chunks", everyItem(equalTo(1)));

        JsonPath upload = as(ACME)
                .multiPart("file", "dryer-lint.md", "# Dryer lint filter\n\nClean the lint filter after every load.\n".getBytes(StandardCharsets.UTF_8), "text/markdown")
                .multiPart("file", "fridge-temperature.html", ("<html><head><title>Fridge</title></head><body><h1>Fridge temperature</h1>"
                        + "<p>Keep the fridge at four degrees Celsius.</p></body></html>").getBytes(StandardCharsets.UTF_8), "text/html")
                .multiPart("file", "oven-warranty.pdf", UploadFixtures.pdf("The oven warranty lasts five years from the purchase date."), "application/pdf")
                .when().post("/v1/collections/it-manuals/documents").then()
                .statusCode(201)
                .contentType(ContentType.JSON)
                .body("stored", equalTo(3))
                .body("failed", equalTo(0))
                .body("files.file", equalTo(List.of("dryer-lint.md", "fridge-temperature.html", "oven-warranty.pdf")))
                .body("files.status", everyItem(equalTo("stored")))
                .extract().jsonPath();
        assertEquals(List.of("dryer-lint", "fridge-temperature", "oven-warranty"), upload.getList("files.documents.id.flatten()"));

        assertEquals("remote-pairing", documentIds(search(ACME, "it-manuals", Map.of("query", "pair my remote control"))).get(0));
        assertEquals("dryer-lint", documentIds(search(ACME, "it-manuals", Map.of("query", "lint filter"))).get(0));
        assertEquals("fridge-temperature", documentIds(search(ACME, "it-manuals", Map.of("query", "how cold should my fridge be"))).get(0));
        assertEquals("oven-warranty", documentIds(search(ACME, "it-manuals", Map.of("query", "oven warranty years"))).get(0));

        JsonPath hit = search(ACME, "it-manuals", Map.of("query", "pair the remote", "top_k", 1)).statusCode(200)
                .body("mode", equalTo("hybrid"))
                .body("hits[0].chunk_id", equalTo("remote-pairing#0"))
                .body("hits[0].title", equalTo("Pairing the remote"))
                .body("hits[0].source", equalTo("tv-manual"))
                .body("hits[0].tags", equalTo(List.of("tv")))
                .body("hits[0].metadata.product", equalTo("QLED"))
                .body("hits[0].updated_at", equalTo("2024-03-01T00:00:00Z"))
                .extract().jsonPath();
        assertTrue(hit.getDouble("latency_ms") >= 0);
        assertTrue(hit.getDouble("hits[0].cosine") > 0.3, "cosine " + hit.getDouble("hits[0].cosine"));
        assertTrue(hit.getDouble("hits[0].bm25") > 0);
        String text = hit.getString("hits[0].text");
        int start = hit.getInt("hits[0].start");
        assertEquals(hit.getString("hits[0].snippet"), text.substring(hit.getInt("hits[0].snippet_start") - start,
                hit.getInt("hits[0].snippet_end") - start), "the snippet offsets point at the snippet");

        // Filters: tags, metadata, dates.
        assertEquals(List.of("washer-door"), documentIds(search(ACME, "it-manuals",
                Map.of("query", "door remote lint", "filters", Map.of("tags", List.of("washer"))))));
        assertEquals(List.of("remote-pairing"), documentIds(search(ACME, "it-manuals",
                Map.of("query", "door remote lint", "mode", "bm25", "filters", Map.of("product", "QLED")))));
        assertFalse(documentIds(search(ACME, "it-manuals", Map.of("query", "remote", "mode", "dense",
                "filters", Map.of("updated_after", "2025-01-01")))).contains("remote-pairing"));

        as(ACME).when().get("/v1/collections/it-manuals/documents/fridge-temperature").then()
                .statusCode(200)
                .body("id", equalTo("fridge-temperature"))
                .body("title", equalTo("Fridge temperature"))
                .body("source", equalTo("fridge-temperature.html"))
                .body("chunks[0].chunk_id", equalTo("fridge-temperature#0"))
                .body("chunks[0].text", containsString("four degrees"));

        as(ACME).when().delete("/v1/collections/it-manuals/documents/dryer-lint").then()
                .statusCode(200).body("deleted", equalTo(true));
        assertFalse(documentIds(search(ACME, "it-manuals", Map.of("query", "lint filter"))).contains("dryer-lint"));
        error(as(ACME).when().delete("/v1/collections/it-manuals/documents/dryer-lint").then(), 404, "document_not_found");
        error(as(ACME).when().get("/v1/collections/it-manuals/documents/dryer-lint").then(), 404, "document_not_found");
        as(ACME).when().get("/v1/collections/it-manuals").then().statusCode(200).body("document_count", equalTo(4));
    }

    @Test
    void badFilesGetTheirOwnErrorsWhileGoodOnesAreStored() {
        recreate(ACME, "it-uploads");
        byte[] big = new byte[21 * 1024 * 1024];
        Arrays.fill(big, (byte) 'a');

        as(ACME)
                .multiPart("file", "good.md", "# Good\n\nThis file is fine.\n".getBytes(StandardCharsets.UTF_8), "text/markdown")
                .multiPart("file", "huge.md", big, "text/markdown")
                .multiPart("file", "setup.exe", new byte[] {'M', 'Z'}, "application/octet-stream")
                .multiPart("file", "empty.txt", new byte[0], "text/plain")
                .when().post("/v1/collections/it-uploads/documents").then()
                .statusCode(200)
                .body("stored", equalTo(1))
                .body("failed", equalTo(3))
                .body("error", nullValue())
                .body("files.status", equalTo(List.of("stored", "failed", "failed", "failed")))
                .body("files[1].error.status", equalTo(413))
                .body("files[1].error.code", equalTo("file_too_large"))
                .body("files[1].error.message", equalTo("huge.md: file is 21 MB; the limit is 20 MB"))
                .body("files[2].error.status", equalTo(415))
                .body("files[2].error.message", startsWith("setup.exe: unsupported file type '.exe'; supported: "))
                .body("files[3].error.status", equalTo(422))
                .body("files[3].error.message", equalTo("empty.txt: empty file"));
        assertEquals(List.of("good"), documentIds(search(ACME, "it-uploads", Map.of("query", "fine"))));

        // The form field id names the document of a single file.
        as(ACME).multiPart("id", "kb-42").multiPart("file", "notes.txt", "Branches close at noon on Saturdays.".getBytes(StandardCharsets.UTF_8), "text/plain")
                .when().post("/v1/collections/it-uploads/documents").then()
                .statusCode(201).body("files[0].documents[0].id", equalTo("kb-42"));
        as(ACME).when().get("/v1/collections/it-uploads/documents/kb-42").then().statusCode(200).body("source", equalTo("notes.txt"));

        error(as(ACME).multiPart("file", "setup.exe", new byte[] {'M', 'Z'}, "application/octet-stream")
                .when().post("/v1/collections/it-uploads/documents").then(), 415, "unsupported_file_type")
                .body("files[0].status", equalTo("failed"))
                .body("error.param", equalTo("file"));
        error(as(ACME).multiPart("file", "huge.md", big, "text/markdown")
                .when().post("/v1/collections/it-uploads/documents").then(), 413, "file_too_large");
        error(as(ACME).contentType(ContentType.TEXT).body("hello").when().post("/v1/collections/it-uploads/documents").then(),
                415, "unsupported_media_type").body("error.message", containsString("application/json or multipart/form-data"));
        error(as(ACME).contentType(ContentType.JSON).body(Map.of("id", "x")).when().post("/v1/collections/it-uploads/documents").then(),
                400, "missing_field").body("error.param", equalTo("text"));
        error(as(ACME).contentType(ContentType.JSON).body(Map.of("id", "x", "text", "y"))
                .when().post("/v1/collections/no-such-collection/documents").then(), 404, "collection_not_found");
        error(search(ACME, "it-uploads", Map.of("query", "x", "mode", "fuzzy")), 400, "invalid_value")
                .body("error.param", equalTo("mode"));

        // 600 KB: within the upload endpoint's body limit (read, then refused for its unknown field),
        // over the 512 KB of every other endpoint.
        String bigJson = "{\"id\": \"x\", \"text\": \"" + "a".repeat(600 * 1024) + "\", \"nope\": 1}";
        error(as(ACME).contentType(ContentType.JSON).body(bigJson).when().post("/v1/collections/it-uploads/documents").then(),
                400, "unknown_field").body("error.param", equalTo("nope"));
        error(as(ACME).contentType(ContentType.JSON).body(bigJson).when().post("/v1/collections/it-uploads/search").then(),
                413, "body_too_large").body("error.message", containsString("the limit is 524288 bytes"));
    }

    @Test
    void aTenantNeverSeesAnotherTenantsCollection() {
        recreate(ACME, "it-private");
        as(ACME).contentType(ContentType.JSON).body(Map.of("id", "acme-plan", "text", "Acme launches the rocket on the fifth of May."))
                .when().post("/v1/collections/it-private/documents").then().statusCode(201);
        as(BETA).when().delete("/v1/collections/it-private");

        error(as(BETA).when().get("/v1/collections/it-private").then(), 404, "collection_not_found");
        error(search(BETA, "it-private", Map.of("query", "rocket launch")), 404, "collection_not_found");
        error(as(BETA).when().get("/v1/collections/it-private/documents/acme-plan").then(), 404, "collection_not_found");
        error(as(BETA).when().delete("/v1/collections/it-private").then(), 404, "collection_not_found");
        as(BETA).when().get("/v1/collections").then().statusCode(200).body("collections.name", not(hasItem("it-private")));

        recreate(BETA, "it-private");
        as(BETA).contentType(ContentType.JSON).body(Map.of("id", "beta-plan", "text", "Beta has no rocket launch planned."))
                .when().post("/v1/collections/it-private/documents").then().statusCode(201);
        for (String mode : List.of("bm25", "dense", "hybrid")) {
            Map<String, Object> query = Map.of("query", "rocket launch", "mode", mode, "top_k", 100);
            assertEquals(List.of("beta-plan"), documentIds(search(BETA, "it-private", query)), mode);
            assertEquals(List.of("acme-plan"), documentIds(search(ACME, "it-private", query)), mode);
        }
        error(as("Not A Tenant").when().get("/v1/collections").then(), 400, "invalid_tenant");
    }

    @Test
    void theKnowledgeFolderIsAReadOnlyCollectionOfTheDefaultTenant() {
        given().when().get("/v1/collections/bank-help").then()
                .statusCode(200)
                .body("tenant", equalTo("default"))
                .body("read_only", equalTo(true))
                .body("folder", equalTo("knowledge/bank-help"));
        assertTrue(documentIds(search("default", "bank-help", Map.of("query", "I lost my card"))).contains("lost-or-stolen-card"));
        error(given().contentType(ContentType.JSON).body(Map.of("id", "x", "text", "y"))
                .when().post("/v1/collections/bank-help/documents").then(), 409, "collection_read_only");
        error(given().when().delete("/v1/collections/bank-help").then(), 409, "collection_read_only");
    }
}
