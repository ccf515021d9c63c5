package dev.ferrite.lab.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class StrategicMergeTest {
    static JsonNode json(String s) {
        return ApiCatalog.JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void listOfPortsMergesByPortAndKeepsTheOrderKubectlSends() {
        JsonNode original = json("{'spec':{'ports':[{'name':'http','port':80},{'name':'https','port':443}]}}");
        JsonNode patch = json("{'spec':{'$setElementOrder/ports':[{'port':443},{'port':80}],'ports':[{'port':80,'targetPort':8080}]}}");
        assertEquals(json("{'spec':{'ports':[{'name':'https','port':443},{'name':'http','port':80,'targetPort':8080}]}}"),
                StrategicMerge.apply(original, patch));
    }

    @Test
    void nullRemovesAFieldAndPatchDeleteRemovesAnElement() {
        JsonNode original = json("{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'ports':[{'port':80},{'port':81}]}}");
        JsonNode patch = json("{'metadata':{'labels':{'b':null}},'spec':{'ports':[{'port':81,'$patch':'delete'}]}}");
        assertEquals(json("{'metadata':{'labels':{'a':'1'}},'spec':{'ports':[{'port':80}]}}"), StrategicMerge.apply(original, patch));
    }

    @Test
    void listOfValuesIsReplaced() {
        assertEquals(json("{'f':['c']}"), StrategicMerge.apply(json("{'f':['a','b']}"), json("{'f':['c']}")));
    }

    @Test
    void printerColumnPathsFindFilteredAndStarredLeaves() {
        JsonNode pool = json("{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'Valid','status':'True'}]},"
                + "'endpoints':[{'addresses':['198.18.1.1']},{'addresses':['198.18.1.2']}]}");
        assertEquals("True", JsonPath.text(pool, ".status.conditions[?(@.type==\"Valid\")].status"));
        assertEquals("198.18.1.1,198.18.1.2", JsonPath.text(pool, ".endpoints[*].addresses[*]"));
        assertEquals("", JsonPath.text(pool, ".spec.missing"));
    }
}
